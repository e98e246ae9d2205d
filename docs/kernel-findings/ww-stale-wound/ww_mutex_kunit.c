// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the Wound-Wait wounded flag of struct ww_acquire_ctx.
 *
 * A context that got -EDEADLK because it was wounded backs off (drops all its
 * locks) and takes the contended lock with ww_mutex_lock_slow(). The wound
 * belongs to the round it backed off from: __mutex_lock_common() clears
 * ctx->wounded when a lock call starts with ctx->acquired == 0. The fast path
 * of ww_mutex_lock() (kernels without CONFIG_DEBUG_LOCK_ALLOC) must do the
 * same, or the stale wound kills the context at its next contended lock,
 * even when it has become the oldest context.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/ww_mutex.h>

static DEFINE_WW_CLASS(kunit_ww_class);

/*
 * The older context @a, holding a lock, asks for @held, which the younger
 * context holds: __ww_mutex_add_waiter() wounds the holder. The caller holds
 * @held itself (one thread, two contexts); a pending signal makes the
 * interruptible lock return -EINTR instead of sleeping.
 */
static void wound_holder_of(struct kunit *test, struct ww_mutex *held,
			    struct ww_acquire_ctx *a)
{
	int ret;

	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	ret = ww_mutex_lock_interruptible(held, a);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	KUNIT_ASSERT_EQ(test, ret, -EINTR);
}

struct stale_wound {
	struct ww_mutex l1, l2, l3;
	struct ww_acquire_ctx a, b;	/* a is older than b */
};

/*
 * Leaves @s->b holding l2, taken by ww_mutex_lock_slow() (or its
 * interruptible variant) on a free lock after a kill by a wound; a has
 * finished, so b is the oldest live context.
 */
static void stale_wound_setup(struct kunit *test, struct stale_wound *s,
			      bool interruptible)
{
	ww_mutex_init(&s->l1, &kunit_ww_class);
	ww_mutex_init(&s->l2, &kunit_ww_class);
	ww_mutex_init(&s->l3, &kunit_ww_class);
	ww_acquire_init(&s->a, &kunit_ww_class);
	ww_acquire_init(&s->b, &kunit_ww_class);

	KUNIT_ASSERT_EQ(test, ww_mutex_lock(&s->l1, &s->b), 0);
	KUNIT_ASSERT_EQ(test, ww_mutex_lock(&s->l2, &s->a), 0);
	wound_holder_of(test, &s->l1, &s->a);
	KUNIT_ASSERT_TRUE(test, s->b.wounded);

	/* b is killed at its next contended lock and backs off */
	KUNIT_ASSERT_EQ(test, ww_mutex_lock(&s->l2, &s->b), -EDEADLK);
	ww_mutex_unlock(&s->l1);

	/* a finishes */
	ww_mutex_unlock(&s->l2);
	ww_acquire_fini(&s->a);

	/* b takes the contended lock, now free */
	if (interruptible)
		KUNIT_ASSERT_EQ(test,
			ww_mutex_lock_slow_interruptible(&s->l2, &s->b), 0);
	else
		ww_mutex_lock_slow(&s->l2, &s->b);
	KUNIT_ASSERT_EQ(test, s->b.acquired, 1U);
}

static void stale_wound_teardown(struct stale_wound *s)
{
	ww_mutex_unlock(&s->l2);
	ww_acquire_fini(&s->b);
}

/* ww_mutex_lock_slow() of a free lock starts a new round: no wound. */
static void ww_lock_slow_free_lock_clears_wound(struct kunit *test)
{
	struct stale_wound s;

	stale_wound_setup(test, &s, false);
	KUNIT_EXPECT_FALSE(test, s.b.wounded);
	stale_wound_teardown(&s);
}

static void ww_lock_slow_interruptible_free_lock_clears_wound(struct kunit *test)
{
	struct stale_wound s;

	stale_wound_setup(test, &s, true);
	KUNIT_EXPECT_FALSE(test, s.b.wounded);
	stale_wound_teardown(&s);
}

struct younger_holder {
	struct ww_mutex *lock;
	struct completion held, done;
};

static int younger_holder_fn(void *arg)
{
	struct younger_holder *y = arg;
	struct ww_acquire_ctx c;

	ww_acquire_init(&c, &kunit_ww_class);
	if (ww_mutex_lock(y->lock, &c) == 0) {
		complete(&y->held);
		msleep(20);
		ww_mutex_unlock(y->lock);
	} else {
		complete(&y->held);
	}
	ww_acquire_fini(&c);
	complete(&y->done);
	return 0;
}

/*
 * The oldest live context, asking for a lock held by a younger one, waits
 * (and wounds the holder); it never gets -EDEADLK.
 */
static void ww_oldest_waits_after_lock_slow(struct kunit *test)
{
	struct younger_holder y;
	struct task_struct *t;
	struct stale_wound s;
	int ret;

	stale_wound_setup(test, &s, false);

	y.lock = &s.l3;
	init_completion(&y.held);
	init_completion(&y.done);
	t = kthread_run(younger_holder_fn, &y, "ww_kunit_younger");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&y.held);

	ret = ww_mutex_lock(&s.l3, &s.b);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (ret == 0)
		ww_mutex_unlock(&s.l3);

	wait_for_completion(&y.done);
	stale_wound_teardown(&s);
}

static struct kunit_case ww_mutex_wound_cases[] = {
	KUNIT_CASE(ww_lock_slow_free_lock_clears_wound),
	KUNIT_CASE(ww_lock_slow_interruptible_free_lock_clears_wound),
	KUNIT_CASE(ww_oldest_waits_after_lock_slow),
	{}
};

static struct kunit_suite ww_mutex_wound_suite = {
	.name = "ww_mutex_wound",
	.test_cases = ww_mutex_wound_cases,
};
kunit_test_suite(ww_mutex_wound_suite);

MODULE_DESCRIPTION("KUnit tests for the Wound-Wait wounded flag");
MODULE_LICENSE("GPL");
