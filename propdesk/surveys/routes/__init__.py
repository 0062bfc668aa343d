"""The surveys app's URLs, by topic: each module lists its console pages (``console``, in the
console's namespace), its portal pages (``portal``, in the portal's) and its API routes (``api``,
under /api/v1/), and ``console_urls``, ``portal_urls`` and ``api_urls`` put them together."""
