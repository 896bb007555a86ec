"""Feedback on accessibility: the client's form, the rate limit, the editors' notice and the
retention clean-up. The models live in library.models.statement."""
