// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests: an unlocked dma_resv iterator across a list replacement whose
 * new list reuses the memory of the list the iterator saw.
 *
 * dma_resv_iter_next_unlocked() restarts when dma_resv_fences_list(obj) is
 * not the cursor's saved list pointer. Between two iterator calls the reader
 * holds no RCU read lock (dma_resv_wait_timeout() sleeps there), and replaced
 * lists are freed with kfree_rcu(), so the saved pointer can name a freed
 * list whose memory a later list of the same object reuses.
 */
#include <kunit/test.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static const char *mock_name(struct dma_fence *f)
{
	return "dma-resv-kunit";
}

static const struct dma_fence_ops mock_ops = {
	.get_driver_name = mock_name,
	.get_timeline_name = mock_name,
};

static DEFINE_SPINLOCK(mock_lock);

static struct dma_fence *mock_fence(struct kunit *test)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	dma_fence_init(f, &mock_ops, &mock_lock, dma_fence_context_alloc(1), 1);
	return f;
}

static void add_fences(struct kunit *test, struct dma_resv *obj,
		       struct dma_fence **f, int n)
{
	int i;

	KUNIT_ASSERT_EQ(test, dma_resv_lock(obj, NULL), 0);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(obj, n), 0);
	for (i = 0; i < n; i++)
		dma_resv_add_fence(obj, f[i], DMA_RESV_USAGE_READ);
	dma_resv_unlock(obj);
}

static struct dma_resv_list *list_of(struct dma_resv *obj)
{
	return rcu_access_pointer(obj->fences);
}

#define TRIALS 500
#define OBJECTS 200

/*
 * obj holds f0, f1, f2 (list X, kmalloc-64). The reader returns f0 and
 * sleeps; f0 signals; the writer grows the list (X replaced and freed after
 * a grace period) and then dma_resv_copy_fences() from src = {f1, f2, f3}
 * (a kmalloc-64 list, which may land at X). f1 was in obj before and after:
 * the iteration must return it. Without a restart the reader resumes at
 * index 1 of the new list and returns f2, f3 only.
 */
static void iter_unlocked_after_list_reuse(struct kunit *test)
{
	int trial, reused = 0, missed = 0;

	for (trial = 0; trial < TRIALS; trial++) {
		struct dma_fence *f[4], *fence, *pad[8];
		struct dma_resv obj, src;
		struct dma_resv_iter cursor;
		struct dma_resv_list *x;
		bool saw_f1 = false, restarted = false;
		int i;

		for (i = 0; i < 4; i++)
			f[i] = mock_fence(test);
		for (i = 0; i < 8; i++)
			pad[i] = mock_fence(test);
		dma_resv_init(&obj);
		dma_resv_init(&src);
		add_fences(test, &obj, f, 3);
		add_fences(test, &src, f + 1, 3);
		x = list_of(&obj);

		dma_resv_iter_begin(&cursor, &obj, DMA_RESV_USAGE_BOOKKEEP);
		fence = dma_resv_iter_first_unlocked(&cursor);
		KUNIT_ASSERT_PTR_EQ(test, fence, f[0]);

		/* the reader sleeps here, outside any RCU read section */
		dma_fence_signal(f[0]);
		KUNIT_ASSERT_EQ(test, dma_resv_lock(&obj, NULL), 0);
		KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(&obj, 8), 0);
		for (i = 0; i < 8; i++)
			dma_resv_add_fence(&obj, pad[i], DMA_RESV_USAGE_READ);
		dma_resv_unlock(&obj);
		KUNIT_ASSERT_PTR_NE(test, list_of(&obj), x);
		kvfree_rcu_barrier();	/* X is freed */
		KUNIT_ASSERT_EQ(test, dma_resv_lock(&obj, NULL), 0);
		KUNIT_ASSERT_EQ(test, dma_resv_copy_fences(&obj, &src), 0);
		dma_resv_unlock(&obj);

		if (list_of(&obj) == x)
			reused++;

		/* the reader wakes up */
		while ((fence = dma_resv_iter_next_unlocked(&cursor))) {
			restarted |= dma_resv_iter_is_restarted(&cursor);
			if (fence == f[1])
				saw_f1 = true;
			KUNIT_EXPECT_TRUE(test, fence == f[1] || fence == f[2] ||
					  fence == f[3]);
		}
		dma_resv_iter_end(&cursor);
		if (!saw_f1)
			missed++;
		if (list_of(&obj) == x && !saw_f1 && missed == 1)
			kunit_info(test, "trial %d: list at %px reused, no restart (%d), f1 skipped\n",
				   trial, x, restarted);

		dma_resv_fini(&obj);
		dma_resv_fini(&src);
		for (i = 0; i < 4; i++) {
			dma_fence_signal(f[i]);
			dma_fence_put(f[i]);
		}
		for (i = 0; i < 8; i++) {
			dma_fence_signal(pad[i]);
			dma_fence_put(pad[i]);
		}
	}
	kunit_info(test, "%d trials: new list at the freed list's address in %d, f1 skipped in %d\n",
		   TRIALS, reused, missed);
	KUNIT_EXPECT_EQ(test, missed, 0);
	if (!reused)
		kunit_skip(test, "the freed list's memory was never reused in %d trials", TRIALS);
}

/*
 * The drivers' pattern: lock, dma_resv_reserve_fences(obj, 1), add one
 * fence, unlock. With CONFIG_DEBUG_MUTEXES, dma_resv_unlock() sets
 * max_fences to num_fences (dma_resv_reset_max_fences()), so every round
 * allocates a new list, and a list of a few fences stays in kmalloc-64:
 * a round's list can land at the address of a list freed a round before.
 * obj holds f0, f1 (list X); the reader returns f0 and sleeps; f0 signals;
 * 1 to 4 rounds (by trial) add a fence each (signaled at once, so compaction
 * keeps the list small); f1 stays in obj throughout and must be returned.
 * Freed lists come back in LIFO order: after an even number of rounds the
 * list is at X again.
 */
#define ROUNDS 4
static void iter_unlocked_after_reserve_rounds(struct kunit *test)
{
	int trial, reused = 0, missed = 0;

	for (trial = 0; trial < TRIALS; trial++) {
		struct dma_fence *f[2], *g[ROUNDS], *fence;
		struct dma_resv_iter cursor;
		struct dma_resv_list *x;
		struct dma_resv obj;
		bool saw_f1 = false, aba = false;
		int i, rounds = 1 + trial % ROUNDS;

		for (i = 0; i < 2; i++)
			f[i] = mock_fence(test);
		for (i = 0; i < ROUNDS; i++)
			g[i] = mock_fence(test);
		dma_resv_init(&obj);
		add_fences(test, &obj, f, 2);
		x = list_of(&obj);

		dma_resv_iter_begin(&cursor, &obj, DMA_RESV_USAGE_BOOKKEEP);
		fence = dma_resv_iter_first_unlocked(&cursor);
		KUNIT_ASSERT_PTR_EQ(test, fence, f[0]);

		/* the reader sleeps here, outside any RCU read section */
		dma_fence_signal(f[0]);
		for (i = 0; i < rounds; i++) {
			add_fences(test, &obj, g + i, 1);
			dma_fence_signal(g[i]);
			kvfree_rcu_barrier();
		}
		if (list_of(&obj) == x) {
			reused++;
			aba = true;
		}

		while ((fence = dma_resv_iter_next_unlocked(&cursor))) {
			if (fence == f[1])
				saw_f1 = true;
		}
		dma_resv_iter_end(&cursor);
		if (!saw_f1) {
			missed++;
			if (missed == 1)
				kunit_info(test, "trial %d (%d rounds): f1 skipped, list at the first list's address: %d\n",
					   trial, rounds, aba);
		}

		dma_resv_fini(&obj);
		for (i = 0; i < 2; i++) {
			dma_fence_signal(f[i]);
			dma_fence_put(f[i]);
		}
		for (i = 0; i < ROUNDS; i++)
			dma_fence_put(g[i]);
	}
	kunit_info(test, "%d trials (CONFIG_DEBUG_MUTEXES=%d): list back at the first list's address in %d, f1 skipped in %d\n",
		   TRIALS, IS_ENABLED(CONFIG_DEBUG_MUTEXES), reused, missed);
	KUNIT_EXPECT_EQ(test, missed, 0);
}

/*
 * The same with real threads and dma_resv_wait_timeout(): a reader waits
 * for all fences of obj = {f0, f1}. f0's wait returns 100 ms after f0
 * signals (the woken reader is not scheduled at once), during which the
 * writer does two reserve(1)/add_fence rounds. f1 is signaled only when the
 * reader has not returned 300 ms later: a return before that is a wait
 * that did not wait for f1, which was in obj all along.
 */
static signed long late_wait(struct dma_fence *f, bool intr, signed long timeout)
{
	signed long ret = dma_fence_default_wait(f, intr, timeout);

	msleep(100);
	return ret;
}

static const struct dma_fence_ops late_ops = {
	.get_driver_name = mock_name,
	.get_timeline_name = mock_name,
	.wait = late_wait,
};

struct resv_waiter {
	struct dma_resv *obj;
	struct dma_fence *f1;
	struct completion done;
	bool f1_signaled;
};

static int resv_waiter_fn(void *arg)
{
	struct resv_waiter *w = arg;

	dma_resv_wait_timeout(w->obj, DMA_RESV_USAGE_BOOKKEEP, false, 10 * HZ);
	w->f1_signaled = dma_fence_is_signaled(w->f1);
	complete(&w->done);
	return 0;
}

#define WAIT_TRIALS 20
static void wait_timeout_waits_for_all_fences(struct kunit *test)
{
	int trial, reused = 0, early = 0;

	for (trial = 0; trial < WAIT_TRIALS; trial++) {
		struct dma_fence *f0, *f1, *g[2];
		struct dma_resv_list *x;
		struct resv_waiter w;
		struct task_struct *t;
		struct dma_resv obj;
		unsigned long returned;
		int i;

		f0 = kzalloc(sizeof(*f0), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, f0);
		dma_fence_init(f0, &late_ops, &mock_lock, dma_fence_context_alloc(1), 1);
		f1 = mock_fence(test);
		g[0] = mock_fence(test);
		g[1] = mock_fence(test);
		dma_resv_init(&obj);
		add_fences(test, &obj, (struct dma_fence *[]){ f0, f1 }, 2);
		x = list_of(&obj);

		w.obj = &obj;
		w.f1 = f1;
		init_completion(&w.done);
		t = kthread_run(resv_waiter_fn, &w, "resv_waiter");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		/* until the reader sleeps in f0's wait */
		for (i = 0; i < 1000 && list_empty(&f0->cb_list); i++)
			msleep(1);
		KUNIT_ASSERT_FALSE(test, list_empty(&f0->cb_list));

		dma_fence_signal(f0);
		for (i = 0; i < 2; i++) {
			add_fences(test, &obj, g + i, 1);
			dma_fence_signal(g[i]);
			kvfree_rcu_barrier();
		}
		if (list_of(&obj) == x)
			reused++;

		returned = wait_for_completion_timeout(&w.done, msecs_to_jiffies(300));
		if (returned)
			early++;
		dma_fence_signal(f1);
		if (!returned)
			wait_for_completion(&w.done);
		KUNIT_EXPECT_EQ(test, w.f1_signaled, !returned);

		dma_resv_fini(&obj);
		dma_fence_put(f0);
		dma_fence_put(f1);
		dma_fence_put(g[0]);
		dma_fence_put(g[1]);
	}
	kunit_info(test, "%d trials: list back at the first list's address in %d, dma_resv_wait_timeout() returned before f1 signaled in %d\n",
		   WAIT_TRIALS, reused, early);
	KUNIT_EXPECT_EQ(test, early, 0);
}

/*
 * Growth only (dma_resv_reserve_fences, dma_resv_add_fence, signaled fences
 * compacted), the in-tree writers of a live object: does a later list of
 * the same object ever land at the address of a freed earlier one? Each
 * replacement at least doubles max_fences, so a later list comes from a
 * larger kmalloc bucket; only a slab page recycled into another cache could
 * give it the same address. Churn kmalloc to give that a chance.
 */
static void list_address_reuse_growth_only(struct kunit *test)
{
	int trial, replacements = 0, aba = 0;

	for (trial = 0; trial < OBJECTS; trial++) {
		struct dma_resv_list *seen[16];
		struct dma_fence *f[64];
		struct dma_resv obj;
		int i, j, nseen = 0, n = 0;

		dma_resv_init(&obj);
		for (i = 0; i < 6 && n + (1 << i) <= 64; i++) {
			struct dma_resv_list *before = list_of(&obj);
			void *churn[32];

			for (j = 0; j < (1 << i); j++)
				f[n + j] = mock_fence(test);
			add_fences(test, &obj, f + n, 1 << i);
			n += 1 << i;
			/* signal half of them: the next growth compacts */
			for (j = 0; j < n; j += 2)
				dma_fence_signal(f[j]);
			if (list_of(&obj) != before) {
				replacements++;
				for (j = 0; j < nseen; j++)
					if (seen[j] == list_of(&obj))
						aba++;
				seen[nseen++] = list_of(&obj);
			}
			kvfree_rcu_barrier();
			for (j = 0; j < 32; j++)
				churn[j] = kmalloc(32 << (j % 6), GFP_KERNEL);
			for (j = 0; j < 32; j++)
				kfree(churn[j]);
		}
		dma_resv_fini(&obj);
		for (i = 0; i < n; i++) {
			dma_fence_signal(f[i]);
			dma_fence_put(f[i]);
		}
	}
	kunit_info(test, "%d objects, %d list replacements, %d at the address of an earlier list of the same object\n",
		   OBJECTS, replacements, aba);
	KUNIT_EXPECT_EQ(test, aba, 0);
}

static struct kunit_case dma_resv_iter_cases[] = {
	KUNIT_CASE(iter_unlocked_after_list_reuse),
	KUNIT_CASE(iter_unlocked_after_reserve_rounds),
	KUNIT_CASE_SLOW(wait_timeout_waits_for_all_fences),
	KUNIT_CASE(list_address_reuse_growth_only),
	{}
};

static struct kunit_suite dma_resv_iter_suite = {
	.name = "dma_resv_iter_unlocked",
	.test_cases = dma_resv_iter_cases,
};
kunit_test_suite(dma_resv_iter_suite);

MODULE_DESCRIPTION("KUnit tests for the unlocked dma_resv iterator");
MODULE_LICENSE("GPL");
