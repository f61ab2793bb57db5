import { useEffect, useState } from 'react';
import { api, call } from './client';

export interface PlanOption {
  value: string;
  label: string;
}

/** The platform's plans (GET /control/plans) as choices; empty until loaded or when they cannot be read. */
export function usePlanOptions(): PlanOption[] {
  const [plans, setPlans] = useState<PlanOption[]>([]);
  useEffect(() => {
    call(() => api.GET('/control/plans')).then(
      (loaded) => setPlans(loaded.map((plan) => ({ value: plan.name, label: plan.displayName }))),
      () => setPlans([]),
    );
  }, []);
  return plans;
}

export const getPlan = (name: string) => call(() => api.GET('/control/plans/{name}', { params: { path: { name } } }));
