"""Users, roles, agencies and regions."""
