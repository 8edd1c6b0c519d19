package io.mailbridge.cluster;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

import org.springframework.integration.support.locks.LockRegistry;

/**
 * The JDBC lock registry as one namespace's leader initiator sees it: while this replica already holds
 * its share of the accounts, an attempt to take one more fails without asking the database (after
 * waiting as long as a failed attempt would), so a replica that starts later, or comes back, gets the
 * accounts the others give up. Holding and renewing a lock already held is never refused.
 */
final class FairShareLocks implements LockRegistry {

    private final LockRegistry delegate;
    private final BooleanSupplier mayTake;

    /** @param mayTake true when this namespace's lock may be taken (or is held) now */
    FairShareLocks(LockRegistry delegate, BooleanSupplier mayTake) {
        this.delegate = delegate;
        this.mayTake = mayTake;
    }

    @Override
    public Lock obtain(Object lockKey) {
        return new Gated(delegate.obtain(lockKey));
    }

    private final class Gated implements Lock {
        private final Lock lock;

        Gated(Lock lock) {
            this.lock = lock;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (!mayTake.getAsBoolean()) {
                unit.sleep(time); // as a failed attempt would: the initiator tries again at once
                return false;
            }
            return lock.tryLock(time, unit);
        }

        @Override
        public boolean tryLock() {
            return mayTake.getAsBoolean() && lock.tryLock();
        }

        @Override
        public void lock() {
            lock.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockInterruptibly();
        }

        @Override
        public void unlock() {
            lock.unlock();
        }

        @Override
        public Condition newCondition() {
            return lock.newCondition();
        }
    }
}
