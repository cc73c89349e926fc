// Placeholder: replaced as the ScenarioLoader layer is written.
