"""Figures from open data: CBS StatLine and police exports read, and stored per member.

`exports.py` reads an export in one of its forms into one shape; `store.py`
writes what belongs to each member of the basisteam (and the national
comparison) into YAML files that a build reads, and says what changed.
"""
