"""Access evaluation: who can read and list each bucket and object, with reasons."""
