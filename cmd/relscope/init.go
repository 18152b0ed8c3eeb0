package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/relscope/relscope/config"
)

type initOptions struct {
	g     *globals
	force bool
}

func newInitCmd(g *globals) *cobra.Command {
	o := &initOptions{g: g}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented relscope.yaml and create the warehouse",
		Long: `init writes relscope.yaml — every rule relscope applies (status categories, commitment
statuses, production environments, team maps, attribution window, freeze days, risk and
public rules, time zone), each commented with its default — and creates an empty warehouse.
An existing relscope.yaml is left alone unless --force is given.`,
		Example: `  relscope init
  relscope init --config ops/relscope.yaml --db /var/lib/relscope/warehouse.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runInit(cmd.Context(), o) },
	}
	cmd.Flags().BoolVar(&o.force, "force", false, "overwrite an existing configuration file")
	return cmd
}

func runInit(ctx context.Context, o *initOptions) error {
	g := o.g
	_, err := os.Stat(g.configPath)
	switch {
	case err == nil && !o.force:
		g.infof("kept %s (exists; --force overwrites it)\n", g.configPath)
	case err == nil || errors.Is(err, os.ErrNotExist):
		if err := os.WriteFile(g.configPath, config.Template, 0o644); err != nil {
			return fmt.Errorf("write config: %w", err)
		}
		g.infof("wrote %s\n", g.configPath)
	default:
		return fmt.Errorf("config %s: %w", g.configPath, err)
	}
	w, err := g.openWarehouse(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	v, err := w.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	g.infof("warehouse %s ready (schema version %d)\n", g.dbPath, v)
	g.infof("next: relscope ingest FILE|DIR ...\n")
	return nil
}
