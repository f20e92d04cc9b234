"""One job to checked PDF bytes: templates, the page-markup registry, styles, fonts, layout, charts
and checks. Knows nothing of caches, processes or where outputs are written."""
