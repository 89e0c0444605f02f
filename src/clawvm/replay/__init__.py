"""Replay and evaluation: trace format, converters, workloads, gates, sweep, report."""
