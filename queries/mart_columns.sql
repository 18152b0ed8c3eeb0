-- name: mart_columns :many
-- description: What every column of every mart means: the warehouse's own column comments
-- description: (COMMENT ON, from the models' headers and glossary), read from DuckDB's catalog
-- description: (duckdb_columns). The one named query that reads catalog metadata rather than
-- description: marts: the workbook's README sheet and column descriptions come from it.
select
    table_name as mart,
    column_name as "column",
    data_type,
    coalesce(comment, '') as description
from duckdb_columns()
where schema_name = 'main'
    and database_name = current_database()
    and table_name like 'mart\_%' escape '\'
order by table_name, column_index
