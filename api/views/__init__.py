"""Thin views: parse and validate input, call one service, render the result."""
