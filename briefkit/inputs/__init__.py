"""Read and validate the input: YAML, the content schema, content sets, audience profiles, labels,
meeting files, source texts and provenance. Nothing here renders: no Jinja, no ReportLab, no PDF library."""
