// The Store module; see DESIGN.md for what it owns.
