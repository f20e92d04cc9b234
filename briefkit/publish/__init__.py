"""Publishing: atomic writes with a journal, the manifest, page previews and the overview page."""
