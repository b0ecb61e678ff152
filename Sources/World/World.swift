// The World module; see DESIGN.md for what it owns.
