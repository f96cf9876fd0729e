"""Qt-free domain and persistence of Taizhang: records, rules, the store (the one place with SQL), parsers."""
