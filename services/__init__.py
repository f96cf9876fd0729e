"""Use cases: what the window and the command line both do, as Qt-free functions over an open database.

Each operation that is more than one store call lives here once (import a file, export, edit an
activity, copy a plan, back up and restore). The window wraps these calls in undo commands, background
tasks and message boxes; the command line in argument parsing and printing.
"""
