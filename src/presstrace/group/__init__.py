"""Grouping: stories (articles about the same event), narrative threads (articles arguing the
same thing across events) and taxonomy narrative labels, from text vectors, entities and dates.
"""
