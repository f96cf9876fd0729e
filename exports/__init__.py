"""Qt-free document formats of Taizhang: xlsx in/out, PDF, fonts."""
