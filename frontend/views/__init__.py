"""Server-rendered pages. Views are thin: reads come from `brokerage.selectors`, every change
goes through `brokerage.services`, exactly as the API's do."""
