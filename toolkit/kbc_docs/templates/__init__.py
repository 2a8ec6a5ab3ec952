"""Template folders: the search order, the variables templates see, the linter."""
