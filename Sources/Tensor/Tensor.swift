// The Tensor module; see DESIGN.md for what it owns.
