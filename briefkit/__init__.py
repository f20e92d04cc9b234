"""briefkit: structured content and Jinja templates in, checked print-ready briefing PDFs out."""

__version__ = "0.1.0"
