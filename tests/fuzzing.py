"""Hypothesis strategies shared by the fuzz tests: any JSON a caller could send, and text a query could carry."""

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Derandomized so a CI run is reproducible; raise max_examples locally to hunt further.
FUZZ = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
# Text a query string may carry, including separators and characters that trip naive parsers.
query_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=60) | st.sampled_from(
    ["", "=", "id=", "number=", "number=CM000001", "id=not-a-uuid", "{", "{}", '{"id": 1}', "-1", "0", "1e9", "x" * 300]
)

# What an error body must never carry: a stack trace or the server's layout.
LEAKS = re.compile(r"Traceback|File \"/|site-packages|psycopg|django\.db", re.IGNORECASE)
