"""HTML pages: markup decoded within a size cap, main text and metadata extracted in time."""

from tasks.html._document import EXTRACTION_TIME_LIMIT, html_content, html_document
from tasks.html._extraction import FOCUS, Focus
from tasks.html._markup import MAX_HTML_BYTES

__all__ = [
    "EXTRACTION_TIME_LIMIT",
    "FOCUS",
    "MAX_HTML_BYTES",
    "Focus",
    "html_content",
    "html_document",
]
