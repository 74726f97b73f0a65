"""Analyst review of hits: the queue and the decisions."""
