"""The weekly after-service numbers per office (for the compliance board)."""
