"""Meetings: the plan of each meeting, its packet, numbered copies, register and handout."""
