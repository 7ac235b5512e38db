"""Pure document-processing steps: bytes in, records out."""
