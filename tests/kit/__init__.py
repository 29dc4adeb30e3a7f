"""The tests every record type needs, declared once per record type.

A record type is one `RecordType` (kit/types.py) in its app's module `records_<app>.py`: how to build a
valid record, what its create form and API payload hold, one edit, its page URLs and API paths, and
which roles may and may not write it. `test_records.py` runs the common tests over every declaration:
list and detail (page and API), create, edit and delete (page and API), 409 on a stale form, 412 on a
stale If-Match (428 without one), one audit entry per write with before/after values shown in the
record's History, refused writes that change nothing (403) and invalid forms that change nothing.
"""
