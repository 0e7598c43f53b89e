"""A stateful Cisco IOS CLI simulator for the cisco_ios role's tests."""
