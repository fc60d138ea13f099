"""Everything that turns results into words, tables, figures and files, in the reader's
language: `labels` (the words), `explain` (reasons and limits in words), `views` (tables and
Plotly figures), `export` (the Excel shortlist) and `console` (what the command line prints).
Nothing below this package imports it."""
