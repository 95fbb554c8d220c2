'use client'
import React from 'react'

export type Audience = 'clinician' | 'patient'

/** "Which best describes you?": remembered in a cookie; the page re-renders with the matching answer. */
export const AudienceSwitch: React.FC<{ current: Audience }> = ({ current }) => {
  const choose = (audience: Audience) => {
    document.cookie = `audience=${audience}; path=/; max-age=31536000; samesite=lax`
    window.location.reload()
  }
  return (
    <fieldset className="audience" data-audience={current}>
      <legend>Which best describes you?</legend>
      <p>Your choice helps us use language that is most understandable for you.</p>
      {(['clinician', 'patient'] as const).map((audience) => (
        <button key={audience} type="button" aria-pressed={current === audience} data-choose-audience={audience} onClick={() => choose(audience)}>
          {audience === 'clinician' ? 'Healthcare professional' : 'Patient or caregiver'}
        </button>
      ))}
    </fieldset>
  )
}
