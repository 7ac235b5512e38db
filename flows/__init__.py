"""Prefect flows and the docprep command line."""
