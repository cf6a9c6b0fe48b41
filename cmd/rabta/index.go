package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rabta/rabta/sqlstore"
)

func indexCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "index", Short: "Maintain the hit/no-hit deconfliction index"}
	c.AddCommand(&cobra.Command{
		Use:   "rebuild",
		Short: "Recompute the index with the current index key and name variants",
		Long: `Recomputes every record's hit/no-hit selectors with the index key given by
--index-key-file / RABTA_INDEX_KEY (or the generated one) and the name
variants in use (--name-variants), in one transaction. Run it after changing
either, with every instance stopped; instances started with another key
refuse to run.`,
		Args: cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			n, err := s.RebuildIndex(cmd.Context(), sqlstore.System)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "hit/no-hit index rebuilt: %d selectors\n", n)
			return nil
		}),
	})
	return c
}
