import { useEffect, useMemo, useRef, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Alarm } from '../api/types';
import { districtMembers, inDistrict, unplaced, type DistrictMembers } from './districtMembers';

const NONE: DistrictMembers = districtMembers([]);
/** A burst of new alarms is one question to the hub. */
const ASK_AFTER_MS = 250;

/**
 * The queue's alarms in one district, as the hub places them (`GET /api/alarms?district=`): the hub
 * joins household, street and district, and asking it again when an alarm it has not placed arrives
 * keeps the live queue right. All alarms when no district is chosen.
 */
export function useDistrictFilter(alarms: readonly Alarm[], district: string): { shown: Alarm[]; pending: boolean } {
  const [members, setMembers] = useState<{ district: string; m: DistrictMembers } | null>(null);
  const asked = useRef(new Set<string>());
  const [ask, setAsk] = useState(0);

  useEffect(() => {
    asked.current = new Set();
    setMembers(null);
  }, [district]);

  const current = members?.district === district ? members.m : null;
  const waiting = useMemo(
    () => (district ? unplaced(alarms, current ?? NONE, asked.current) : []),
    [alarms, current, district],
  );

  useEffect(() => {
    if (!district || (current && waiting.length === 0)) return;
    const ctrl = new AbortController();
    const timer = setTimeout(
      () => {
        const ids = alarms.map((a) => a.id);
        endpoints.alarmsInDistrict(district, ctrl.signal).then(
          (list) => {
            for (const id of ids) asked.current.add(id);
            setMembers({ district, m: districtMembers(list) });
          },
          () => {
            if (!ctrl.signal.aborted) setTimeout(() => setAsk((n) => n + 1), 5_000);
          },
        );
      },
      current ? ASK_AFTER_MS : 0,
    );
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // `alarms` is read when the question leaves; `waiting` says when one is needed.
  }, [district, current, waiting.join(','), ask]);

  const shown = useMemo(
    () => (!district ? [...alarms] : current ? alarms.filter((a) => inDistrict(a, current)) : []),
    [alarms, district, current],
  );
  return { shown, pending: !!district && !current };
}
