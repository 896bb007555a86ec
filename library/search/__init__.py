"""Search that understands Finnish: base forms and compound parts from Voikko.

`finnish` turns words into base forms; `fields.BaseFormsField` indexes them with a page;
`query.search_pages` normalises what a visitor types and adds prefix matches.
"""
