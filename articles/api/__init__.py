"""The open data API (issue 14): /api/v1/speeches, /roundtables, /people, openapi.json, the
documentation page and the bulk download. Read-only and public content only.

    schemas.py      parameters and records (pydantic): validation, OpenAPI, the docs page
    records.py      the public querysets, filters, paging, records
    any_search.py   the `any` filter (one function, for the site's search to replace)
    endpoints.py    the django-ninja API, 400s and the rate limit
    http.py         licence, Cache-Control, ETag / Last-Modified, 304
    csv_records.py  CSV (UTF-8 with BOM)
    bulk.py         the bulk files (manage.py export_open_data) and views.py serving them
"""
