"""Read and validate the input: YAML, the content schema, content sets, audience profiles, labels,
meeting files and provenance. Nothing here renders: no Jinja, no ReportLab, no PDF library."""
