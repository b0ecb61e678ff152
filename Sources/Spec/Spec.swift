// The Spec module; see DESIGN.md for what it owns.
