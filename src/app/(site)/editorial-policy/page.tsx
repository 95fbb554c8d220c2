import { getPolicy } from '../../../site/data'

export const dynamic = 'force-dynamic'

const EditorialPolicyPage = async () => {
  const policy = await getPolicy()
  return (
    <main data-editorial-policy>
      <h1>Editorial policy</h1>
      {(policy.policyText ?? '').split(/\n{2,}/).filter(Boolean).map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
      <p>
        {policy.publicVisibility === 'approved_only'
          ? 'Only articles approved by the medical advisory board are published.'
          : 'Articles pending review are published with a caution notice until the medical advisory board approves them.'}{' '}
        Every article is reviewed again within {policy.reviewIntervalDays} days of its approval.
      </p>
      <p>
        <a href="/advisory-board">Meet the medical advisory board</a>
      </p>
    </main>
  )
}

export default EditorialPolicyPage
