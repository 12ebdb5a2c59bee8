package main

// FerretDB 1.24's SQLite backend creates its unique `_id` index on the expression
// `_ferretdb_sjson->"_id"` but looks documents up with `_ferretdb_sjson->'$._id'`. SQLite
// matches index expressions textually, so no lookup by `_id` (find, update, delete) uses
// the index: each one scans the whole table, and the store slows down as collections grow.
// indexIDs adds a plain index on the expression the queries use, to every collection table
// of every database file, shortly after the table appears. FerretDB does not know about it
// (it is no MongoDB index); DROP TABLE removes it with the table.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"
)

const idIndexSuffix = "_zz_local_id_lookup"

func indexIDs(ctx context.Context, dir string, log *slog.Logger) {
	checked := map[string]string{} // file -> size/mtime of the file and its WAL when checked
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			stamp := fileStamp(file) + fileStamp(file+"-wal")
			if checked[file] == stamp {
				continue
			}
			if err := indexFile(ctx, file); err != nil {
				log.Debug("id index", "file", file, "err", err)
				continue
			}
			checked[file] = stamp
		}
	}
}

func fileStamp(path string) string {
	info, err := os.Stat(path)
	if err != nil {
		return "-"
	}
	return fmt.Sprintf("%d/%d;", info.Size(), info.ModTime().UnixNano())
}

func indexFile(ctx context.Context, file string) error {
	// mode=rw: never create a file that FerretDB has just dropped.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE '\_ferretdb\_%' ESCAPE '\'
		AND name || ? NOT IN (SELECT name FROM sqlite_master WHERE type = 'index')`, idIndexSuffix)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`,
			table+idIndexSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
