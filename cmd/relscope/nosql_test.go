package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// cmd only parses flags and calls a package (DESIGN §1): no file of it runs SQL itself. The
// guard looks for database/sql's calls; SQL a user typed goes through package queries.
func TestCmdRunsNoSQL(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		pkgs := map[string]bool{}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			pkgs[path[strings.LastIndex(path, "/")+1:]] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && pkgs[id.Name] {
					return true // a package's function (queries.Exec runs what the user typed)
				}
				switch sel.Sel.Name {
				case "Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext", "Prepare", "PrepareContext":
					t.Errorf("%s: %s runs SQL in cmd; put it in models or queries", fset.Position(call.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
