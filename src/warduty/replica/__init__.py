"""Offline replica of the military courts' websites: synthetic population, HTTP server, faults."""
