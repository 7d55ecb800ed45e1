package task

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asynkit-go/asynkit/iterco"
)

// A group holds its first children itself; one that ends gives its
// blocks of the others back to the loop, empty, and the next group makes
// its children in them; the loop keeps only so many.
func TestEndedGroupsGiveTheirBlocksBack(t *testing.T) {
	inGroup := len(Group{}.first)
	l := NewLoop()
	_, err := RunUntilComplete(l, func(co *iterco.Co) (int, error) {
		group := func(children int) {
			require.NoError(t, WithGroup(co, func(g *Group) error {
				for range children {
					g.Go(co, func(*iterco.Co) error { return nil })
				}
				return nil
			}))
		}
		firsts := func() []*groupChild {
			var ps []*groupChild
			for _, b := range l.groupBlocks {
				ps = append(ps, &b[0])
			}
			return ps
		}

		group(inGroup)
		require.Empty(t, l.groupBlocks, "a small group takes no block")
		group(inGroup + 2*groupBlockLen + 1)
		require.Len(t, l.groupBlocks, 3)
		for _, b := range l.groupBlocks {
			require.Len(t, b, groupBlockLen)
			for _, gc := range b {
				assert.Zero(t, gc, "a kept block holds no child")
			}
		}
		kept := firsts()
		group(inGroup + 3*groupBlockLen)
		assert.ElementsMatch(t, kept, firsts(), "the next group made its children in the same blocks")

		group((keptGroupBlocks + 2) * groupBlockLen)
		assert.Len(t, l.groupBlocks, keptGroupBlocks)
		return 0, nil
	})
	require.NoError(t, err)
	require.NoError(t, l.Close())
	assert.Nil(t, l.groupBlocks, "a closed loop keeps no blocks")
}
