"""The customer's and household's history from every channel (M01, M12).

The customer page and the household page show everything about them: requests, contacts,
calls, quotes, charges, complaints, after-service contacts, and the services not used yet (M24);
the customer page also records a contact. That history is not the roster's business: it reads
every channel, so it is an app of its own on a floor above them all (docs/architecture.md), and
`customers` stays below the channels. A channel added later (the forum, the owners' committee)
adds its section here.
"""
