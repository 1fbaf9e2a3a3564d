"""The auditor's workbench: server-rendered pages and a JSON API over the roadmap store.

`app.create_app(db_url)` builds the FastAPI application; `views` reads what a page shows
from the store (pure data, no HTML), `images` draws a source page with the row highlighted,
`security` holds the CSRF tokens and the bounded upload reader, `api` the JSON routes.
Above flows (an upload is ingested through the same flow as `roadmap ingest`), below cli.
"""
