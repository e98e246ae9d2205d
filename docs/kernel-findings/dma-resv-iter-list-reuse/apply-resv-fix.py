import sys
root = sys.argv[1]
p = root + '/drivers/dma-buf/dma-resv.c'
s = open(p).read()
def rep(old, new, count=1):
    global s
    assert s.count(old) == count, (old, s.count(old))
    s = s.replace(old, new)
rep('''struct dma_resv_list {
	struct rcu_head rcu;
	u32 num_fences, max_fences;
	struct dma_fence __rcu *table[];
};
''', '''struct dma_resv_list {
	struct rcu_head rcu;
	u32 num_fences, max_fences;
	/* Allocation stamp: tells apart lists allocated at the same address */
	u32 seq;
	struct dma_fence __rcu *table[];
};

static atomic_t dma_resv_list_seq = ATOMIC_INIT(0);
''')
rep('''		sizeof(*list->table);

	return list;
''', '''		sizeof(*list->table);
	list->seq = atomic_inc_return(&dma_resv_list_seq);

	return list;
''')
rep('''static void dma_resv_iter_restart_unlocked(struct dma_resv_iter *cursor)
{
	cursor->index = 0;
	cursor->num_fences = 0;
	cursor->fences = dma_resv_fences_list(cursor->obj);
	if (cursor->fences)
		cursor->num_fences = cursor->fences->num_fences;
	cursor->is_restarted = true;
}
''', '''static void dma_resv_iter_restart_unlocked(struct dma_resv_iter *cursor)
{
	cursor->index = 0;
	cursor->num_fences = 0;
	cursor->fences = dma_resv_fences_list(cursor->obj);
	if (cursor->fences) {
		cursor->num_fences = cursor->fences->num_fences;
		cursor->fences_seq = cursor->fences->seq;
	}
	cursor->is_restarted = true;
}

/*
 * True when the object's list is not the one the cursor walks. The cursor
 * holds no reference on its list: between two unlocked iterator calls the
 * list can be replaced and freed, and a later list of the object can be
 * allocated at the same address. Compare the allocation stamp as well.
 */
static bool dma_resv_iter_list_changed(struct dma_resv_iter *cursor)
{
	struct dma_resv_list *list = dma_resv_fences_list(cursor->obj);

	return list != cursor->fences ||
	       (list && list->seq != cursor->fences_seq);
}
''')
rep('''	} while (dma_resv_fences_list(cursor->obj) != cursor->fences);''',
    '''	} while (dma_resv_iter_list_changed(cursor));''', 2)
rep('''	restart = dma_resv_fences_list(cursor->obj) != cursor->fences;''',
    '''	restart = dma_resv_iter_list_changed(cursor);''')
# write to a new inode: the tree may be hard-linked into an overlay
import os
tmp = p + '.new'
open(tmp, 'w').write(s); os.replace(tmp, p)

p = root + '/include/linux/dma-resv.h'
s = open(p).read()
rep('''	/** @num_fences: number of fences */
	unsigned int num_fences;
''', '''	/** @num_fences: number of fences */
	unsigned int num_fences;

	/** @fences_seq: allocation stamp of @fences; private */
	unsigned int fences_seq;
''')
tmp = p + '.new'
open(tmp, 'w').write(s); os.replace(tmp, p)
print('ok')
