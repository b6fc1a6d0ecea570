"""The insight engine: what an insight's events, filters and breakdowns amount to over a period."""

from .listing import MAX_RECORDS, SAMPLE_SIZE, check_record_count, records, sample
from .results import OTHER, Results, Series, compute_results

__all__ = [
    "MAX_RECORDS",
    "OTHER",
    "SAMPLE_SIZE",
    "Results",
    "Series",
    "check_record_count",
    "compute_results",
    "records",
    "sample",
]
