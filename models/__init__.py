"""Qt-free domain and persistence of Taizhang: records, repository (the one place with SQL), parsers."""
