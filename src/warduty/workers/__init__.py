"""Crawls done by ``warduty worker`` processes through a PostgreSQL queue (procrastinate), and schedules.

``progress``: the queue's own table, one row per court of a queued run (what each worker is doing, and each
court's report for the run's end). ``schedule``: the periodic jobs of the settings, as cron lines. The
jobs themselves (enqueue, the court job, the run's end, the worker) are in ``warduty.jobs.queue``.
"""
