// The Orchestrator module; see DESIGN.md for what it owns.
