"""docprep tests."""
